// Deployment defaults for the page: the node URLs to use when neither the query (?upload=&download=)
// nor this browser's saved settings name them. Edit these two lines when hosting the page next to a
// deployment (e.g. 'https://upload.example.com'); empty = http://127.0.0.1:8001 and :8002.
export const uploadBase = '';
export const downloadBase = '';
