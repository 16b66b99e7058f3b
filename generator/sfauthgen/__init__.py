"""sfauthgen: Salesforce authentication metadata from a reviewed YAML spec."""

__version__ = "0.1.0"
