"""Typer application: `mockd start | compile | validate | version`."""

import typer

app = typer.Typer(
    name="mockd",
    help="API mock server for integration and performance testing.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


@app.command()
def version() -> None:
    """Print the mockd version."""
    from mockd import __version__

    typer.echo(f"mockd {__version__}")


def main() -> None:
    app()
