"""Plugins that exist only to prove the contract: a good one and three broken ones."""
