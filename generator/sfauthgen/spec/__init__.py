"""The spec side: loading YAML with positions, variables, secrets, the JSON Schema, typed entries."""
