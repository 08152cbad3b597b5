module hookline.example/verify-go

go 1.22
