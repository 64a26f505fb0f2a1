"""Campus sign-in: OpenID Connect and CAS identities linked to Commons accounts."""
