"""After submission: acknowledgements and remittances applied to claims, payments and work queues."""
