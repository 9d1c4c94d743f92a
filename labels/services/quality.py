"""State changes of the National and European Quality Label."""
