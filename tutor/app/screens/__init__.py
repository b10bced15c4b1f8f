"""The app's screens: the main screen (lessons, playground, exercises) and the modals."""
