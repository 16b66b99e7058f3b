"""Talking to a real org: OAuth token requests, one REST call, and the Connect API credential resource."""
