"""What the school's IT person sees of a running oudersbot: logs, /healthz and /metrics."""
