"""The vocabulary every stage shares: the content model, errors, ids and timestamps."""
