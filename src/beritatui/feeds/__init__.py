"""What goes out to the website and comes in from elsewhere: the JSON Feed export, the importers."""
