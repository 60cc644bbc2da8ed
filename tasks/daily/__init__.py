"""The daily claim run: attendance to submitted claims, and reports back to money or work queues."""
