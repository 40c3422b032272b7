from regkb.cli import cli

cli(prog_name="regkb")
