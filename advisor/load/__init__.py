"""Load stage: strict YAML with positions, then case files, parameters and rule files into the model."""
