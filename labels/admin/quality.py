"""Admin for the National and European Quality Label."""
