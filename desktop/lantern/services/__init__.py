"""services layer of Lantern."""
