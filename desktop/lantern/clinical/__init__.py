"""clinical layer of Lantern."""
