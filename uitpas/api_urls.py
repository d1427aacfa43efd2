app_name = "uitpas_api"
urlpatterns = []
