"""The named scenarios (scripts over the engine operations, with their timing distributions) and the
generator that draws conversation *i* of a dataset from them."""
