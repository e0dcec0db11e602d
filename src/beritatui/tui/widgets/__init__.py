"""Small reusable widgets and modals."""
