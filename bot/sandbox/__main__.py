"""`python -m bot.sandbox`: the sandbox without the rest of the CLI."""

import argparse
import sys

from bot.sandbox.cli import add_arguments, run

parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description="Amazon Chime SDK Voice sandbox")
add_arguments(parser)
sys.exit(run(parser.parse_args()))
