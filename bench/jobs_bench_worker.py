import jobs  # noqa: F401  (registers the no-op job)
from catalog import create_app
from catalog.platform import jobs as queue
app = create_app()
queue.consumer(app, workers=2).run()
