"""The read-only public API (/api/v1): public data only, as JSON, cacheable."""
