"""What goes out to the website and comes in from elsewhere: rendering, JSON Feed export, importers."""
