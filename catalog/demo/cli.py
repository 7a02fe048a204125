import click


@click.command("demo-data")
def demo_data():
    """Stub."""
