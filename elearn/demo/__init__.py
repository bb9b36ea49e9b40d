"""Demo and benchmark data: the Bắc Ninh seed, and generated officials with progress."""
