print("scaffolding: this benchmark is not written yet")
