app_name = "uitpas"
urlpatterns = []
