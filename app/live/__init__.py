"""Live training sessions (docs/protocol.md): `scheduler` gives sessions turns on worker threads, `outbox`
hands what a session produces to the event loop, `session` runs a session's turns and commands."""
