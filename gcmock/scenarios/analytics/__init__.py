"""The analytics query engine: details, aggregates and jobs over many conversations, with the index
that follows the server's store."""
