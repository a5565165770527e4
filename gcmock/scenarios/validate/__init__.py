"""The invariant checker. It judges JSON, not engine objects, so it can check any file, ours or a
real export."""
