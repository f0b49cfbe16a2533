"""Letters from Word templates: the fields, rendering, Compacts' own templates, and
generating a letter onto a case."""
