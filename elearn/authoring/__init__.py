"""Pages for content authors: publishing status, errors and previews of draft courses."""
