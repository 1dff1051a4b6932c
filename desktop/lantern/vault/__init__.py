"""vault layer of Lantern."""
