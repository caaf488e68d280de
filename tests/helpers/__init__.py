"""What the tests share: harnesses, stand-ins, fixtures and message helpers (never a test module)."""
