"""The crisis-communication workflow around the site: authoring, message templates, init,
git, review diffs, notices and notifications."""
