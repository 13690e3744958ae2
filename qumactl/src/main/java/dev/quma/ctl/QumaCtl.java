package dev.quma.ctl;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Quma's command line, shaped like kumactl. Exit codes: 0 done, 1 the control plane refused or
 * failed, 2 bad usage, 3 the control plane could not be reached (or a local file read).
 */
@Command(
    name = "qumactl",
    mixinStandardHelpOptions = true,
    version = "qumactl 0.1.0",
    description = "Quma's command line: talks to the control plane's services.",
    subcommands = {GenerateCommand.class})
public final class QumaCtl {
  public static final int REFUSED = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs a command line with the given output streams; answers the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new QumaCtl());
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof CliException cli) {
            cmd.getErr().println("qumactl: " + cli.getMessage());
            return cli.exitCode();
          }
          cmd.getErr().println("qumactl: " + e);
          return REFUSED;
        });
    return line.execute(args);
  }
}
