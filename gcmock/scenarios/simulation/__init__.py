"""The living org: agents' schedules, a discrete-event simulation of each day, and the datasets
rendered from it (conversations that never put a user on more work than their utilization)."""
