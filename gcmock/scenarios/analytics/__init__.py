"""The analytics query engine: details, aggregates and jobs over many conversations, with the index
that follows the server's store.

``vocabulary`` (what a query may name, :class:`~.vocabulary.QueryError`), ``intervals``,
``filters`` (predicates and filters), ``rows`` (what filters test in a record), ``details`` and
``aggregates`` (the two query bodies), ``index`` (:class:`~.index.AnalyticsIndex`)."""
