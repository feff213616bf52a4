"""Entry point for ``flask --app app run`` and ``python app.py``; all the work is in create_app."""

from mapservice import create_app

if __name__ == "__main__":
    create_app().run()
