"""The condition language: parser -> AST (with spans) -> type check -> reference evaluation."""
