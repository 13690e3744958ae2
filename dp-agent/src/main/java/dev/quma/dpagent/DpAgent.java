package dev.quma.dpagent;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The dataplane agent: what runs next to each workload and its Envoy (kuma-dp's shape). */
@Command(
    name = "dp-agent",
    mixinStandardHelpOptions = true,
    version = "dp-agent " + BootstrapRequestBuilder.AGENT_VERSION,
    description =
        "Joins a workload to the mesh: dataplane resource, token, Envoy bootstrap, Envoy.",
    subcommands = {RunCommand.class})
public final class DpAgent {

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs a command line with the given output streams; answers the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new DpAgent());
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof AgentException agent) {
            cmd.getErr().println("dp-agent: " + agent.getMessage());
            return agent.exitCode();
          }
          // Not one of ours: say what happened, without a class name or a stack trace.
          cmd.getErr()
              .println(
                  "dp-agent: unexpected failure: "
                      + (e.getMessage() == null ? "no detail" : e.getMessage())
                      + " (please report it)");
          return ExitCodes.REFUSED;
        });
    return line.execute(args);
  }
}
