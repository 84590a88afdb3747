# Models arrive with their issue; the app exists and is installed from the foundation on.
