package dev.quma.xds.mads;

import com.google.protobuf.Any;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;

/**
 * Kuma's {@code kuma.observability.v1.MonitoringAssignment} as protobuf: its descriptor is built
 * here from the message's fields (mesh 2, service 3, targets 4, labels 5; a target's name 1, scheme
 * 2, address 3, metrics_path 4, labels 5), so no generated code is needed for one message, and
 * assignments are packed into {@code Any} for the DiscoveryResponse, binary over gRPC and JSON
 * (with a type registry that knows the message) over HTTP.
 */
public final class AssignmentMessages {
  public static final String TYPE_URL =
      "type.googleapis.com/kuma.observability.v1.MonitoringAssignment";
  private static final String PACKAGE = "kuma.observability.v1";

  static final Descriptor ASSIGNMENT = build();
  static final Descriptor TARGET = ASSIGNMENT.findNestedTypeByName("Target");

  /** Prints and parses DiscoveryResponses whose resources are assignments. */
  public static final JsonFormat.TypeRegistry REGISTRY =
      JsonFormat.TypeRegistry.newBuilder().add(ASSIGNMENT).build();

  private AssignmentMessages() {}

  public static Any pack(MonitoringAssignment assignment) {
    DynamicMessage.Builder message =
        DynamicMessage.newBuilder(ASSIGNMENT)
            .setField(ASSIGNMENT.findFieldByName("mesh"), assignment.mesh())
            .setField(ASSIGNMENT.findFieldByName("service"), assignment.service());
    addLabels(message, ASSIGNMENT, assignment.labels());
    for (MonitoringAssignment.Target target : assignment.targets()) {
      DynamicMessage.Builder t =
          DynamicMessage.newBuilder(TARGET)
              .setField(TARGET.findFieldByName("name"), target.name())
              .setField(TARGET.findFieldByName("scheme"), target.scheme())
              .setField(TARGET.findFieldByName("address"), target.address())
              .setField(TARGET.findFieldByName("metrics_path"), target.metricsPath());
      addLabels(t, TARGET, target.labels());
      message.addRepeatedField(ASSIGNMENT.findFieldByName("targets"), t.build());
    }
    return Any.newBuilder().setTypeUrl(TYPE_URL).setValue(message.build().toByteString()).build();
  }

  private static void addLabels(
      DynamicMessage.Builder message, Descriptor type, Map<String, String> labels) {
    Descriptors.FieldDescriptor field = type.findFieldByName("labels");
    Descriptor entry = field.getMessageType();
    labels.forEach(
        (key, value) ->
            message.addRepeatedField(
                field,
                DynamicMessage.newBuilder(entry)
                    .setField(entry.findFieldByName("key"), key)
                    .setField(entry.findFieldByName("value"), value)
                    .build()));
  }

  private static Descriptor build() {
    DescriptorProto target =
        DescriptorProto.newBuilder()
            .setName("Target")
            .addField(scalar("name", 1))
            .addField(scalar("scheme", 2))
            .addField(scalar("address", 3))
            .addField(scalar("metrics_path", 4))
            .addField(map("labels", 5, "." + PACKAGE + ".MonitoringAssignment.Target.LabelsEntry"))
            .addNestedType(labelsEntry())
            .build();
    DescriptorProto assignment =
        DescriptorProto.newBuilder()
            .setName("MonitoringAssignment")
            .addField(scalar("mesh", 2))
            .addField(scalar("service", 3))
            .addField(
                FieldDescriptorProto.newBuilder()
                    .setName("targets")
                    .setNumber(4)
                    .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
                    .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                    .setTypeName("." + PACKAGE + ".MonitoringAssignment.Target"))
            .addField(map("labels", 5, "." + PACKAGE + ".MonitoringAssignment.LabelsEntry"))
            .addNestedType(target)
            .addNestedType(labelsEntry())
            .build();
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("kuma/observability/v1/mads.proto")
            .setPackage(PACKAGE)
            .setSyntax("proto3")
            .addMessageType(assignment)
            .build();
    try {
      return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
          .findMessageTypeByName("MonitoringAssignment");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException("the MonitoringAssignment descriptor is invalid", e);
    }
  }

  private static FieldDescriptorProto scalar(String name, int number) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .setType(FieldDescriptorProto.Type.TYPE_STRING)
        .build();
  }

  private static FieldDescriptorProto map(String name, int number, String entryType) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
        .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
        .setTypeName(entryType)
        .build();
  }

  private static DescriptorProto labelsEntry() {
    return DescriptorProto.newBuilder()
        .setName("LabelsEntry")
        .addField(scalar("key", 1))
        .addField(scalar("value", 2))
        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
        .build();
  }
}
