package dev.quma.ctl;

import picocli.CommandLine.Command;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate resources, tokens, etc.",
    subcommands = {GenerateDataplaneTokenCommand.class})
final class GenerateCommand {}
