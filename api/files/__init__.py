"""Files stored by the platform: uploads with size and type limits, downloads delegated to the owner's
visibility."""
