"""Sync between the laptops of one clinic (issue 18).

Every change becomes an immutable event sealed with the clinic's data key
(`envelope.SealedEvent`). The local vault stays the working store; events are
applied to it. Transports (a CouchDB-protocol server, a USB bundle) move only
sealed events: they never see a key or a cleartext byte.
"""
