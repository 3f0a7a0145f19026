"""Wire shapes: the generated models plus what the spec cannot say, and record converters."""
