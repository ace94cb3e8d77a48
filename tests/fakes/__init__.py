"""Fake third-party servers on 127.0.0.1 speaking the real services' JSON: the tests and the
demo never reach the internet."""
