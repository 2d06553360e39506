"""Views: the pages a reader browses, each made from the site's collections."""
