"""The output folder: where files go, what is there, what sfauthgen owns, and writing it safely."""
