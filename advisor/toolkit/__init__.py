"""Tools for counsellors who edit rules: lint, analysis, expectations, coverage, diff, schema, batch."""
