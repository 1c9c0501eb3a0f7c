"""Policy documents (政策文件), interpretations (政策解读) and consultations (征求意见)."""
